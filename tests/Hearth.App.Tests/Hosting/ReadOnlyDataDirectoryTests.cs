using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// <c>hearth dev</c> on a data directory it cannot write: refused at start with one line naming the directory and the
/// fix; and a file system that goes read-only under a running Hearth: every new job refused (503, the directory named),
/// never a 2xx, and a restart once it is repaired keeps every job acknowledged before. We run as root, whom file modes
/// do not stop, so the directory is made read-only by the kernel: a read-only bind mount, and an ext4 image on a loop
/// device with <c>errors=remount-ro</c> whose error is triggered through sysfs. Skipped where mounting is not allowed.
/// </summary>
public sealed class ReadOnlyDataDirectoryTests
{
    [SkippableFact]
    public async Task A_read_only_data_directory_is_refused_at_start_with_the_directory_and_the_fix()
    {
        var why = Unavailable("mount");
        Skip.If(why is not null, why);
        var data = Path.Combine(Path.GetTempPath(), "hearth-ro-start-" + Guid.NewGuid().ToString("N"));
        var idle = TornLogTailTests.IdleYaml();
        Directory.CreateDirectory(data);
        try
        {
            // A directory a Hearth used before (its hearth.lock, password and log are there), then mounted read-only.
            using (var first = TornLogTailTests.Dev(idle, data))
            {
                await first.WaitForAsync(@"listening on (http://\S+)");
            }

            Run("mount", "--bind", data, data);
            try
            {
                Run("mount", "-o", "remount,ro,bind", data, data);
                using var app = TornLogTailTests.Dev(idle, data);
                var code = await app.WaitForExitAsync(60);
                await app.OutputEndedAsync();
                Assert.NotEqual(0, code);
                var lines = app.Lines.Where(l => l.Trim().Length > 0).ToList();
                Assert.True(lines.Count == 1, $"expected one line, got:\n{app.Output}");
                Assert.Contains($"Cannot write to the data directory '{data}'", lines[0], StringComparison.Ordinal);
                Assert.Contains("Read-only file system", lines[0], StringComparison.Ordinal);
                Assert.Contains("remount it read-write", lines[0], StringComparison.Ordinal);
                Assert.Contains("--data", lines[0], StringComparison.Ordinal);
                Assert.DoesNotContain("another running Hearth", lines[0], StringComparison.Ordinal);
            }
            finally
            {
                Run("umount", data);
            }
        }
        finally
        {
            File.Delete(idle);
            Directory.Delete(data, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_file_system_gone_read_only_refuses_new_jobs_and_a_restart_keeps_every_acknowledged_one()
    {
        var why = Unavailable("mount") ?? Unavailable("losetup") ?? Unavailable("mkfs.ext4") ?? Unavailable("e2fsck");
        Skip.If(why is not null, why);
        var root = Path.Combine(Path.GetTempPath(), "hearth-ro-run-" + Guid.NewGuid().ToString("N"));
        var image = root + ".ext4";
        var idle = TornLogTailTests.IdleYaml();
        Directory.CreateDirectory(root);
        var mounted = false;
        try
        {
            // 3 GiB, sparse: large enough that the disk budget (1 GiB free) does not refuse first.
            using (var f = new FileStream(image, FileMode.CreateNew))
            {
                f.SetLength(3L << 30);
            }

            Run("mkfs.ext4", "-q", "-F", image);
            Run("mount", "-o", "loop,errors=remount-ro", image, root);
            mounted = true;
            var device = Path.GetFileName(Run("findmnt", "-n", "-o", "SOURCE", root).Trim());
            var trigger = $"/sys/fs/ext4/{device}/trigger_fs_error";
            Skip.IfNot(File.Exists(trigger), $"this kernel has no {trigger}");
            var data = Path.Combine(root, "data");
            var ids = new List<string>();
            using (var app = TornLogTailTests.Dev(idle, data))
            {
                var (http, admin) = await TornLogTailTests.ReadyAsync(app);
                using (http)
                using (admin)
                {
                    for (var i = 0; i < 8; i++)
                    {
                        var response = await http.PostAsync("/v2/q/run", Body(i));
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                        ids.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!);
                    }

                    // No sync here: the error aborts ext4's journal as a power cut would, so the jobs above survive
                    // only
                    // because the store fsyncs the append-only file before it acknowledges (Garnet alone does not).
                    await File.WriteAllTextAsync(trigger, "1"); // ext4 remounts itself read-only
                    for (var i = 8; i < 16; i++)
                    {
                        var response = await http.PostAsync("/v2/q/run", Body(i));
                        var body = await response.Content.ReadAsStringAsync();
                        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                            $"submit {i} on a read-only data directory answered {(int)response.StatusCode}: {body}");
                        Assert.Contains("cannot write its data directory", body, StringComparison.Ordinal);
                        Assert.Contains(data, body, StringComparison.Ordinal);
                    }

                    await app.WaitForAsync($"Store cannot write its data directory '{data}'", 30);
                    Assert.True(AppProcess.IsAlive(app.Pid), "the app stopped when its disk went read-only");
                }
            } // SIGKILL, then repair and remount as an operator would

            Run("umount", root);
            mounted = false;

            // The loop device lets go of the image a moment after umount; a mount before that reuses the old,
            // read-only file system instead of the repaired one.
            await Eventually.ValueAsync(
                () => Task.FromResult(Run("losetup", "-j", image).Trim().Length == 0 ? image : null),
                $"the loop device to release {image}", 30);
            RunAllowing([0, 1], "e2fsck", "-fy", image);
            Run("mount", "-o", "loop,errors=remount-ro", image, root);
            mounted = true;
            var options = Run("findmnt", "-n", "-o", "OPTIONS", root);
            Assert.True(options.Split(',').Contains("rw"), $"the repaired file system mounted as {options}");
            using var again = TornLogTailTests.Dev(idle, data);
            var (after, afterAdmin) = await TornLogTailTests.ReadyAsync(again);
            using (after)
            using (afterAdmin)
            {
                for (var i = 0; i < ids.Count; i++)
                {
                    var status = await after.GetAsync($"/v2/q/status/{ids[i]}");
                    Assert.True(status.StatusCode == HttpStatusCode.OK,
                        $"/status of acknowledged job {i}: {(int)status.StatusCode}");
                    var state = JsonNode.Parse(await status.Content.ReadAsStringAsync())!["status"];
                    Assert.Equal("IN_QUEUE", (string?)state);
                    var detail = await afterAdmin.GetStringAsync($"/api/jobs/{ids[i]}");
                    Assert.Contains(Text(i), detail, StringComparison.Ordinal); // the input, intact
                }

                var accepted = await after.PostAsync("/v2/q/run", Body(99));
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode); // writable again after the restart
            }
        }
        finally
        {
            if (mounted)
            {
                RunAllowing([0, 32], "umount", root);
            }

            File.Delete(idle);
            File.Delete(image);
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Text(int i) => $"read-only-job-{i:D3}";

    private static StringContent Body(int i) =>
        new("{\"input\":{\"text\":\"" + Text(i) + "\"}}", Encoding.UTF8, "application/json");

    /// <summary>Why <paramref name="tool"/> cannot be used here (not Linux, not root, missing), or null.</summary>
    private static string? Unavailable(string tool)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "read-only mounts need Linux";
        }

        if (Run("id", "-u").Trim() != "0")
        {
            return "mounting needs root (CI runs as root)";
        }

        return new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }.Any(d => File.Exists(Path.Combine(d, tool)))
            ? null : $"{tool} is missing";
    }

    private static string Run(string file, params string[] args) => RunAllowing([0], file, args);

    private static string RunAllowing(int[] codes, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not exit within 60 s.");
        }

        if (!codes.Contains(p.ExitCode))
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {error.Result}");
        }

        return output.Result;
    }
}
