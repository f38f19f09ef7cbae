using Hearth.Core.Placement;
using Hearth.Scaling.Gpus;

namespace Hearth.Scaling.Tests.Gpus;

public sealed class NvidiaSmiTests
{
    private const long MiB = 1L << 20;

    private static string Recorded(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Gpus", "Recorded", name));

    [Fact]
    public void One_a100_maps_to_its_catalog_id_with_memory_in_bytes()
    {
        var result = NvidiaSmi.Parse(Recorded("a100-80gb-pcie.txt"), 0, string.Empty);

        Assert.Null(result.Problem);
        var gpu = Assert.Single(result.Gpus);
        Assert.Equal(new GpuDevice(0, "GPU-3b8e41f2-9c1d-6a7e-0f25-d84c1a9b7e63", "NVIDIA A100 80GB PCIe", 81920 * MiB, 4 * MiB), gpu);
    }

    [Fact]
    public void Eight_h100s_keep_their_indexes_and_memory_in_use()
    {
        var result = NvidiaSmi.Parse(Recorded("h100-x8.txt"), 0, string.Empty);

        Assert.Null(result.Problem);
        Assert.Equal(Enumerable.Range(0, 8), result.Gpus.Select(g => g.Index));
        Assert.All(result.Gpus, g => Assert.Equal(("NVIDIA H100 80GB HBM3", 81559 * MiB), (g.Name, g.TotalBytes)));
        Assert.Equal([71234 * MiB, 71234 * MiB, 40962 * MiB, 0, 0, MiB, MiB, 16384 * MiB], result.Gpus.Select(g => g.UsedBytes));
        Assert.Equal("GPU-8f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e57", result.Gpus[7].Uuid);
    }

    [Fact]
    public void Not_available_values_fall_back_sensibly()
    {
        var result = NvidiaSmi.Parse(Recorded("rtx4090-na.txt"), 0, string.Empty);

        Assert.Null(result.Problem);
        Assert.Equal(new GpuDevice(0, "GPU-c2a7e915-5d0b-4f38-91e6-7b3a0d2f8c14", "NVIDIA GeForce RTX 4090", 24564 * MiB, 0), result.Gpus[0]);
        Assert.Equal(new GpuDevice(1, "gpu-1", "NVIDIA GeForce RTX 4090", 24L << 30, 1022 * MiB), result.Gpus[1]);
    }

    [Fact]
    public void Trailing_spaces_and_carriage_returns_are_ignored()
    {
        var result = NvidiaSmi.Parse("0, GPU-a, nvidia l4 , 23034 ,  0  \r\n  \r\n", 0, string.Empty);

        Assert.Equal(new GpuDevice(0, "GPU-a", "NVIDIA L4", 23034 * MiB, 0), Assert.Single(result.Gpus));
    }

    [Fact]
    public void Unknown_names_are_kept_raw()
    {
        var result = NvidiaSmi.Parse("0, GPU-b, NVIDIA H100 PCIe, 81559, 0\n", 0, string.Empty);

        Assert.Equal("NVIDIA H100 PCIe", Assert.Single(result.Gpus).Name);
    }

    [Fact]
    public void Empty_output_means_no_gpu()
    {
        var result = NvidiaSmi.Parse(Recorded("empty.txt"), 0, string.Empty);

        Assert.Empty(result.Gpus);
        Assert.Equal("nvidia-smi found no NVIDIA GPU", result.Problem);
    }

    [Fact]
    public void No_devices_found_means_no_gpu()
    {
        var result = NvidiaSmi.Parse(Recorded("no-devices.txt"), 6, string.Empty);

        Assert.Empty(result.Gpus);
        Assert.Equal("nvidia-smi found no NVIDIA GPU", result.Problem);
    }

    [Fact]
    public void A_failing_driver_gives_no_gpus_and_says_why()
    {
        var result = NvidiaSmi.Parse(Recorded("driver-failure.txt"), 9, string.Empty);

        Assert.Empty(result.Gpus);
        Assert.Equal(
            "nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
            + "Make sure that the latest NVIDIA driver is installed and running.",
            result.Problem);
    }

    [Fact]
    public void A_failure_with_only_stderr_reports_stderr()
    {
        var result = NvidiaSmi.Parse(string.Empty, 255, "Failed to initialize NVML: Driver/library version mismatch\n");

        Assert.Equal("nvidia-smi failed (exit 255): Failed to initialize NVML: Driver/library version mismatch", result.Problem);
    }

    [Fact]
    public void Unreadable_lines_are_reported_and_the_rest_kept()
    {
        var result = NvidiaSmi.Parse("0, GPU-a, NVIDIA L4, 23034, 0\ngarbage\n", 0, string.Empty);

        Assert.Single(result.Gpus);
        Assert.Equal("unreadable nvidia-smi line 'garbage'", result.Problem);
    }

    [Fact]
    public async Task A_missing_binary_means_no_gpu_on_this_machine()
    {
        var result = await NvidiaSmi.ProbeAsync("/nonexistent/hearth-test/nvidia-smi");

        Assert.Empty(result.Gpus);
        Assert.Equal("nvidia-smi not found: no NVIDIA GPU on this machine", result.Problem);
    }
}
