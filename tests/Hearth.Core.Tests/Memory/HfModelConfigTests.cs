using Hearth.Core.Memory;

namespace Hearth.Core.Tests.Memory;

public sealed class HfModelConfigTests
{
    [Theory]
    [InlineData("llama-3-8b", 8.03e9)]
    [InlineData("llama-3-70b", 70.6e9)]
    [InlineData("mistral-7b", 7.24e9)]
    [InlineData("qwen2-7b", 7.62e9)]
    [InlineData("gemma-7b", 8.54e9)]
    public void Parameter_estimate_is_within_5_percent_of_the_published_count(string model, double published)
    {
        var (count, source) = ModelConfigs.Load(model).Parameters();

        Assert.Equal(ParameterSource.Estimated, source);
        Assert.InRange(count, published * 0.95, published * 1.05);
    }

    [Fact]
    public void Reads_the_llama_3_8b_shape()
    {
        var config = ModelConfigs.Load("llama-3-8b");

        Assert.Equal("llama", config.ModelType);
        Assert.Equal((32, 32, 8, 128, 8192), (config.Layers, config.AttentionHeads, config.KvHeads, config.HeadDim, config.MaxPositionEmbeddings));
        Assert.False(config.TieWordEmbeddings);
        Assert.Equal("bf16", config.StoredDtype);
    }

    [Fact]
    public void Gemma_uses_its_explicit_head_dim_and_ties_embeddings_by_default()
    {
        var config = ModelConfigs.Load("gemma-7b");

        Assert.Equal(256, config.HeadDim);
        Assert.True(config.TieWordEmbeddings);
    }

    [Fact]
    public void Kv_heads_default_to_the_attention_heads()
    {
        var config = HfModelConfig.Parse("""{"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32}""", "mha.json");

        Assert.Equal(32, config.KvHeads);
        Assert.Equal(128, config.HeadDim);
    }

    [Fact]
    public void Multimodal_configs_are_read_from_text_config()
    {
        var config = HfModelConfig.Parse("""{"model_type": "gemma3", "text_config": {"hidden_size": 2560, "num_hidden_layers": 34, "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256}}""", "g3.json");

        Assert.Equal((34, 4, 256), (config.Layers, config.KvHeads, config.HeadDim));
    }

    [Fact]
    public void An_explicit_parameter_count_wins()
    {
        var config = HfModelConfig.Parse("""{"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_parameters": 123456}""", "x.json");

        Assert.Equal((123456L, ParameterSource.Config), config.Parameters());
    }

    [Fact]
    public void Safetensors_total_next_to_the_config_gives_the_parameter_count()
    {
        var dir = Directory.CreateTempSubdirectory("hearth-memory-");
        try
        {
            File.Copy(ModelConfigs.PathOf("llama-3-8b"), Path.Combine(dir.FullName, "config.json"));
            File.WriteAllText(Path.Combine(dir.FullName, HfModelConfig.SafetensorsIndexFileName), """{"metadata": {"total_size": 16060522496}, "weight_map": {}}""");

            var config = HfModelConfig.Load(dir.FullName);

            Assert.Equal(16060522496L, config.SafetensorsTotalBytes);
            Assert.Equal((8030261248L, ParameterSource.Safetensors), config.Parameters());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("num_hidden_layers")]
    [InlineData("hidden_size")]
    [InlineData("num_attention_heads")]
    public void Missing_shape_field_is_named_with_the_fix(string field)
    {
        var fields = new Dictionary<string, int> { ["hidden_size"] = 4096, ["num_hidden_layers"] = 32, ["num_attention_heads"] = 32 };
        fields.Remove(field);
        var json = "{" + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";

        var e = Assert.Throws<ModelConfigException>(() => HfModelConfig.Parse(json, "broken.json"));

        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("broken.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimating_without_vocab_size_names_the_field()
    {
        var config = HfModelConfig.Parse("""{"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "intermediate_size": 11008}""", "novocab.json");

        var e = Assert.Throws<ModelConfigException>(() => config.Parameters());

        Assert.Contains("'vocab_size'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_context_without_max_position_embeddings_asks_for_one()
    {
        var config = HfModelConfig.Parse("""{"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_parameters": 1000}""", "nomax.json");

        var e = Assert.Throws<ModelConfigException>(() => MemoryModel.Estimate(config, "bf16", null, null, 1));

        Assert.Contains("max_position_embeddings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "hearth-no-such-model", "config.json");

        var e = Assert.Throws<ModelConfigException>(() => HfModelConfig.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    public void Unreadable_json_is_reported(string json)
    {
        var e = Assert.Throws<ModelConfigException>(() => HfModelConfig.Parse(json, "bad.json"));

        Assert.Contains("bad.json", e.Message, StringComparison.Ordinal);
    }
}
