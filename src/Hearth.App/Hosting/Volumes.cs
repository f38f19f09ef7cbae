using Hearth.Core.Endpoints;
using Hearth.Server.Admin;

namespace Hearth.App.Hosting;

/// <summary>
/// Network volumes on a single host: a named volume is a directory under the data directory (<c>volumes/NAME</c>),
/// created on first use and given to every worker of the endpoint as <c>HEARTH_VOLUME_PATH</c> and
/// <c>RUNPOD_VOLUME_PATH</c>, so model weights load from local disk once rather than per job.
/// </summary>
internal sealed class Volumes(string dataDirectory)
{
    /// <summary>The volume's directory, created when missing.</summary>
    public string Ensure(VolumeSpec volume)
    {
        if (!EndpointLimits.IsVolumeName(volume.Name))
        {
            throw new ArgumentException($"Volume name '{volume.Name}' is not a plain directory name.", nameof(volume));
        }

        var path = Path.Combine(Path.GetFullPath(dataDirectory), "volumes", volume.Name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>What the admin API shows: name, size limit, path and bytes in use.</summary>
    public VolumeInfo Describe(VolumeSpec volume)
    {
        var path = Ensure(volume);
        var used = new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        return new VolumeInfo(volume.Name, volume.SizeGb, path, used);
    }
}
