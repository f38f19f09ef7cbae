namespace ResearchAgent.Text;

/// <summary>
/// Okapi BM25 over a fixed set of documents (k1 = 1.2, b = 0.75, the usual defaults). Built once; searching is
/// thread-safe. Document ids are the caller's.
/// </summary>
internal sealed class Bm25Index<TId>
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private readonly List<(TId Id, Dictionary<string, int> Counts, int Length)> _docs = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Index(IEnumerable<(TId Id, string Text)> documents)
    {
        foreach (var (id, text) in documents)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var length = 0;
            foreach (var term in Terms.Of(text))
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
                length++;
            }

            foreach (var term in counts.Keys)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }

            _docs.Add((id, counts, length));
        }

        _averageLength = _docs.Count == 0 ? 1 : Math.Max(1, _docs.Average(d => d.Length));
    }

    /// <summary>Number of documents indexed.</summary>
    public int Count => _docs.Count;

    /// <summary>The best <paramref name="k"/> documents for <paramref name="query"/> with their scores, best first; documents sharing no term are left out.</summary>
    public IReadOnlyList<(TId Id, double Score)> Search(string query, int k)
    {
        var terms = Terms.Of(query).Distinct().ToList();
        var scored = new List<(TId Id, double Score, int Order)>();
        for (var i = 0; i < _docs.Count; i++)
        {
            var (id, counts, length) = _docs[i];
            var score = 0.0;
            foreach (var term in terms)
            {
                if (!counts.TryGetValue(term, out var tf))
                {
                    continue;
                }

                var df = _documentFrequency[term];
                var idf = Math.Log(1 + (_docs.Count - df + 0.5) / (df + 0.5));
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / _averageLength));
            }

            if (score > 0)
            {
                scored.Add((id, score, i));
            }
        }

        return [.. scored.OrderByDescending(s => s.Score).ThenBy(s => s.Order).Take(k).Select(s => (s.Id, s.Score))];
    }
}
