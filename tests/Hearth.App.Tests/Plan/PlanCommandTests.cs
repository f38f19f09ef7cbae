using System.Text.Json;
using Hearth.App.Plan;
using Xunit.Abstractions;

namespace Hearth.App.Tests.Plan;

public sealed class PlanCommandTests(ITestOutputHelper log)
{
    private static string Config(string name) => Path.Combine(AppContext.BaseDirectory, "Memory", "configs", name + ".json");

    private async Task<(int Code, string Output, string Error)> RunAsync(PlanSettings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PlanCommand.RunAsync(settings, output, error);
        log.WriteLine(output.ToString());
        log.WriteLine(error.ToString());
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Llama_3_70b_fp16_at_32k_fits_no_80_GB_card_and_names_what_does()
    {
        var (code, output, _) = await RunAsync(new() { Model = Config("llama-3-70b"), Dtype = "fp16", Context = 32768 });

        Assert.Equal(0, code);
        var h100Row = output.Split('\n').Single(l => l.Contains("NVIDIA H100 80GB HBM3", StringComparison.Ordinal));
        Assert.Contains("✗", h100Row, StringComparison.Ordinal);
        Assert.Equal(3, output.Split('\n').Count(l => l.Contains(" 80 GB │", StringComparison.Ordinal) && l.Contains('✗', StringComparison.Ordinal)));
        Assert.DoesNotContain(output.Split('\n'), l => l.Contains(" 80 GB │", StringComparison.Ordinal) && l.Contains('✓', StringComparison.Ordinal));
        Assert.Contains("Smallest fit: NVIDIA B200 (180 GB)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_nothing_fits_it_says_so_and_suggests_gpu_count_fp8_and_a_shorter_context()
    {
        var (code, output, _) = await RunAsync(new() { Model = Config("llama-3-70b"), Dtype = "fp16", Context = 32768, Concurrency = 8 });

        Assert.Equal(0, code);
        Assert.Contains("No single GPU fits", output, StringComparison.Ordinal);
        Assert.Contains("gpu_count: 2 × NVIDIA H200", output, StringComparison.Ordinal);
        Assert.Contains("--dtype fp8", output, StringComparison.Ordinal);
        Assert.Contains("--context", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_parses_and_carries_the_numbers()
    {
        var (code, output, _) = await RunAsync(new() { Model = Config("llama-3-8b"), Dtype = "fp16", Format = PlanCommand.JsonFormat });

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(131072, root.GetProperty("kv_bytes_per_token").GetInt64());
        Assert.Equal(8192, root.GetProperty("context").GetInt32());
        Assert.Equal(1L << 30, root.GetProperty("session_peak_bytes").GetInt64());
        Assert.Equal("NVIDIA RTX A4500", root.GetProperty("smallest_fit").GetString());
        var gpus = root.GetProperty("gpus").EnumerateArray().ToList();
        Assert.Equal(Core.Endpoints.GpuCatalog.Types.Count, gpus.Count);
        Assert.All(gpus, g => Assert.Equal(JsonValueKind.Null, g.GetProperty("price_per_hour").ValueKind));
    }

    [Fact]
    public async Task Json_output_when_nothing_fits_carries_the_alternatives()
    {
        var (code, output, _) = await RunAsync(new() { Model = Config("llama-3-70b"), Dtype = "fp16", Context = 32768, Concurrency = 8, Format = PlanCommand.JsonFormat });

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("smallest_fit").ValueKind);
        Assert.Equal("NVIDIA H200", root.GetProperty("multi_gpu").GetProperty("id").GetString());
        Assert.Equal(2, root.GetProperty("multi_gpu").GetProperty("gpu_count").GetInt32());
        Assert.Equal("NVIDIA B200", root.GetProperty("fp8_smallest_fit").GetString());
        Assert.True(root.GetProperty("longest_context_that_fits").GetInt32() < 32768);
    }

    [Fact]
    public async Task Prices_name_the_cheapest_fit()
    {
        var prices = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(prices, """{ "NVIDIA H100 80GB HBM3": 2.99, "NVIDIA A100 80GB PCIe": 1.64, "NVIDIA GeForce RTX 4090": 0.69 }""");

            var (code, output, _) = await RunAsync(new() { Model = Config("llama-3-8b"), Context = 8192, Concurrency = 8, Prices = prices, Format = PlanCommand.JsonFormat });

            Assert.Equal(0, code);
            using var json = JsonDocument.Parse(output);
            Assert.Equal("NVIDIA A100 80GB PCIe", json.RootElement.GetProperty("cheapest_fit").GetString());
        }
        finally
        {
            File.Delete(prices);
        }
    }

    [Theory]
    [InlineData("NVIDIA A100 80GB PCIe: 1.64\nNVIDIA H200: 3.59\n", 0, "Cheapest fit: NVIDIA A100 80GB PCIe at $1.64/h")]
    [InlineData("NVIDIA A100 80GB: 1.64\n", 1, "Did you mean 'NVIDIA A100 80GB PCIe'?")]
    [InlineData("NVIDIA H200: cheap\n", 1, "not a non-negative number")]
    public async Task Yaml_price_tables_are_read_and_checked(string yaml, int expectedCode, string expected)
    {
        var prices = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(prices, yaml);

            var (code, output, error) = await RunAsync(new() { Model = Config("llama-3-8b"), Concurrency = 8, Prices = prices });

            Assert.Equal(expectedCode, code);
            Assert.Contains(expected, output + error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(prices);
        }
    }

    [Fact]
    public async Task Missing_file_exits_1_with_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "hearth-no-such-model", "config.json");

        var (code, output, error) = await RunAsync(new() { Model = path });

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.Contains("Fix:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_without_the_needed_fields_exits_1_naming_the_field()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{"model_type": "llama", "hidden_size": 4096}""");

            var (code, _, error) = await RunAsync(new() { Model = path });

            Assert.Equal(1, code);
            Assert.Contains("num_hidden_layers", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Unknown_dtype_exits_1()
    {
        var (code, _, error) = await RunAsync(new() { Model = Config("mistral-7b"), Dtype = "fp12" });

        Assert.Equal(1, code);
        Assert.Contains("Unknown dtype 'fp12'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_requires_model_and_checks_the_format()
    {
        var command = PlanCommand.Create();

        Assert.NotEmpty(command.Parse([]).Errors);
        Assert.NotEmpty(command.Parse(["--model", "c.json", "--format", "xml"]).Errors);
        Assert.Empty(command.Parse(["--model", "c.json", "--dtype", "fp8", "--context", "32768", "--concurrency", "4", "--format", "json"]).Errors);
    }
}
