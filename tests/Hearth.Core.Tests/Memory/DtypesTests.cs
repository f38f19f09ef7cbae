using Hearth.Core.Endpoints;
using Hearth.Core.Memory;

namespace Hearth.Core.Tests.Memory;

public sealed class DtypesTests
{
    [Theory]
    [InlineData("fp32", 4.0)]
    [InlineData("fp16", 2.0)]
    [InlineData("bf16", 2.0)]
    [InlineData("fp8", 1.0)]
    [InlineData("int8", 1.0)]
    [InlineData("int4", 0.5)]
    public void Bytes_per_element(string dtype, double bytes) => Assert.Equal(bytes, Dtypes.BytesPerElement(dtype));

    [Fact]
    public void Every_dtype_an_endpoint_may_declare_has_a_size() =>
        Assert.All(EndpointLimits.Dtypes, d => Assert.True(Dtypes.IsKnown(d)));

    [Fact]
    public void Int4_sizes_round_up_to_whole_bytes() => Assert.Equal(2, Dtypes.SizeOf(3, "int4"));

    [Theory]
    [InlineData("bfloat16", "bf16")]
    [InlineData("float16", "fp16")]
    [InlineData("float32", "fp32")]
    [InlineData("complex64", null)]
    public void Torch_dtypes_map_to_hearth_names(string torch, string? expected) => Assert.Equal(expected, Dtypes.FromTorch(torch));

    [Fact]
    public void Unknown_dtype_suggests_the_closest()
    {
        var e = Assert.Throws<ArgumentException>(() => Dtypes.Bits("fp61"));

        Assert.Contains("Did you mean", e.Message, StringComparison.Ordinal);
    }
}
