using Hearth.Core.Endpoints;
using Hearth.Core.Memory;

namespace Hearth.Core.Tests.Memory;

public sealed class MemoryModelTests
{
    [Fact]
    public void Llama_3_70b_in_fp16_needs_about_140_GB_of_weights()
    {
        var estimate = MemoryModel.Estimate(ModelConfigs.Load("llama-3-70b"), "fp16", null, 32768, 1);

        Assert.InRange(estimate.WeightsBytes, 140e9 * 0.95, 140e9 * 1.05);
        Assert.Equal(ParameterSource.Estimated, estimate.ParameterSource);
    }

    [Fact]
    public void Llama_3_8b_in_fp16_needs_128_KiB_of_KV_per_token_and_1_GiB_at_8k()
    {
        var estimate = MemoryModel.Estimate(ModelConfigs.Load("llama-3-8b"), "fp16", null, null, 1);

        Assert.Equal(131072, estimate.KvBytesPerToken);
        Assert.Equal(8192, estimate.MaxContext);
        Assert.Equal(1L << 30, estimate.SessionPeakBytes);
    }

    [Fact]
    public void Reservation_is_weights_plus_concurrency_sessions_plus_overhead()
    {
        var estimate = MemoryModel.Estimate(ModelConfigs.Load("llama-3-8b"), "bf16", "fp8", 4096, 3);

        Assert.Equal("fp8", estimate.KvDtype);
        Assert.Equal(65536, estimate.KvBytesPerToken);
        Assert.Equal(estimate.Parameters * 2, estimate.WeightsBytes);
        Assert.Equal(estimate.WeightsBytes + (3 * 65536L * 4096) + MemoryModel.RuntimeOverheadBytes, estimate.ReservationBytes);
    }

    [Fact]
    public void Int4_weights_take_half_a_byte_per_parameter()
    {
        var config = ModelConfigs.Load("mistral-7b");
        var fp16 = MemoryModel.Estimate(config, "fp16", null, 1024, 1);
        var int4 = MemoryModel.Estimate(config, "int4", "fp16", 1024, 1);

        Assert.Equal((fp16.WeightsBytes + 3) / 4, int4.WeightsBytes);
        Assert.Equal(fp16.KvBytesPerToken, int4.KvBytesPerToken);
    }

    [Fact]
    public void Unknown_dtype_names_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => MemoryModel.Estimate(ModelConfigs.Load("llama-3-8b"), "bf61", null, 1024, 1));

        Assert.Contains("bf16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Llama_3_70b_fp16_at_32k_fits_no_80_GB_card_but_fits_a_B200()
    {
        var estimate = MemoryModel.Estimate(ModelConfigs.Load("llama-3-70b"), "fp16", null, 32768, 1);
        var fits = MemoryModel.FitAll(estimate);

        Assert.Equal(GpuCatalog.Types.Count, fits.Count);
        Assert.All(fits.Where(f => f.Gpu.VramGb <= 141), f => Assert.False(f.Fits));
        var b200 = Assert.Single(fits, f => f.Fits);
        Assert.Equal("NVIDIA B200", b200.Gpu.Id);
        Assert.Equal(b200.VramBytes - estimate.ReservationBytes, b200.HeadroomBytes);
        Assert.Equal(2, MemoryModel.MinGpuCount(estimate, GpuCatalog.FindType("NVIDIA H100 80GB HBM3")!));
    }

    [Fact]
    public void Max_sessions_per_card_is_what_remains_after_weights_and_overhead()
    {
        var estimate = MemoryModel.Estimate(ModelConfigs.Load("llama-3-8b"), "fp16", null, 8192, 1);
        var a100 = MemoryModel.Fit(estimate, GpuCatalog.FindType("NVIDIA A100 80GB PCIe")!);

        var expected = ((80L << 30) - estimate.WeightsBytes - MemoryModel.RuntimeOverheadBytes) / (1L << 30);
        Assert.Equal(expected, a100.MaxSessions);
        Assert.True(a100.Fits);
        Assert.Equal(80L << 30, a100.VramBytes);
    }

    [Fact]
    public void A_card_smaller_than_the_weights_holds_no_sessions()
    {
        var estimate = MemoryModel.Estimate(ModelConfigs.Load("llama-3-70b"), "fp16", null, 8192, 1);
        var fit = MemoryModel.Fit(estimate, GpuCatalog.FindType("NVIDIA L4")!);

        Assert.False(fit.Fits);
        Assert.Equal(0, fit.MaxSessions);
        Assert.True(fit.HeadroomBytes < 0);
    }

    [Fact]
    public void Estimate_from_a_model_spec_resolves_the_config_against_the_base_directory()
    {
        var spec = new ModelSpec("llama-3-8b.json", "fp16", MaxContext: 8192, Concurrency: 2);
        var estimate = MemoryModel.Estimate(spec, Path.GetDirectoryName(ModelConfigs.PathOf("llama-3-8b"))!);

        Assert.Equal(2, estimate.Concurrency);
        Assert.Equal(estimate.WeightsBytes + (2L << 30) + MemoryModel.RuntimeOverheadBytes, estimate.ReservationBytes);
    }

    [Fact]
    public void Gpu_count_rounds_up_to_one_that_divides_the_attention_heads()
    {
        var estimate = MemoryModel.Estimate(ModelConfigs.Load("llama-3-70b"), "fp16", null, 32768, 8);

        // 211.4 GiB over 30.5 GiB per RTX 5090 needs 7 cards; 64 heads do not split 7 ways, so 8.
        Assert.Equal(8, MemoryModel.MinGpuCount(estimate, GpuCatalog.FindType("NVIDIA GeForce RTX 5090")!));
        Assert.Null(MemoryModel.MinGpuCount(estimate, GpuCatalog.FindType("NVIDIA L4")!));
    }
}
