namespace Hearth.Store.Tests.Scripts;

public sealed class PayloadPiecesTests
{
    [Fact]
    public void A_small_payload_is_one_piece_and_a_large_one_splits_without_breaking_a_surrogate_pair()
    {
        Assert.Single(PayloadPieces.Split("{\"input\":1}"));

        var emoji = "\U0001F525"; // two UTF-16 chars
        var text = new string('a', PayloadPieces.MaxChars - 1) + emoji + new string('b', PayloadPieces.MaxChars + 5);
        var pieces = PayloadPieces.Split(text);
        Assert.Equal(3, pieces.Length);
        Assert.Equal(text, string.Concat(pieces));
        Assert.All(pieces, p => Assert.True(p.Length <= PayloadPieces.MaxChars));
        Assert.False(char.IsHighSurrogate(pieces[0][^1]));
    }
}
