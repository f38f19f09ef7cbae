using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.App.Admin;

namespace Hearth.App.Keys;

/// <summary>
/// <c>hearth keys create|list|revoke|rotate</c>: client keys, worker tokens, node tokens and metrics keys kept in the
/// store, through a running control plane's admin API. A secret is printed once (or written to a 0600 file with
/// <c>--out</c>); the control plane keeps only its hash.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var keys = new Command("keys", """
            Create, list, rotate and revoke keys on a running control plane (admin key needed). A change reaches every
            replica within a second. Keys given by flags or environment (--api-key, HEARTH_API_KEY…) are not listed
            and cannot be revoked here.

            Examples:
              hearth keys create --kind client --endpoint research --op run --op read --label ci
              hearth keys create --kind node --node gpu-1 --out /etc/hearth/node-token
              hearth keys list
              hearth keys rotate key_3f9a1c0e77b2 --grace 24h
              hearth keys revoke key_3f9a1c0e77b2
            """)
        {
            CreateCommand(), ListCommand(), RevokeCommand(), RotateCommand(),
        };
        return keys;
    }

    private static Command CreateCommand()
    {
        var (server, adminKey, format, output) = Common();
        var kind = new Option<string>("--kind")
        {
            Description = "client (default), worker, node or metrics.",
            DefaultValueFactory = _ => "client",
        };
        kind.AcceptOnlyFromAmong("client", "worker", "node", "metrics");
        var endpoint = new Option<string[]>("--endpoint")
        {
            Description = "An endpoint the key may use (repeatable; default all). Client keys and worker tokens.",
        };
        var op = new Option<string[]>("--op")
        {
            Description = "What a client key may do: run, read, cancel, purge (repeatable; default all).",
        };
        op.AcceptOnlyFromAmong("run", "read", "cancel", "purge");
        var node = new Option<string?>("--node") { Description = "The node name a node token is bound to." };
        var label = new Option<string?>("--label") { Description = "Who or what uses the key." };
        var expires = new Option<string?>("--expires")
        {
            Description = "When it stops working, from now: 90m, 12h, 30d (default never).",
        };
        var command = new Command("create", "Create a key; its secret is shown once.")
        {
            server, adminKey, format, output, kind, endpoint, op, node, label, expires,
        };
        command.SetAction(async (parse, ct) =>
        {
            long? seconds = null;
            if (parse.GetValue(expires) is { } text)
            {
                if (Seconds(text) is not { } s)
                {
                    await Console.Error.WriteLineAsync($"--expires '{text}' is not a duration: write 90m, 12h or 30d.")
                        .ConfigureAwait(false);
                    return 1;
                }

                seconds = s;
            }

            var body = new JsonObject
            {
                ["kind"] = parse.GetValue(kind),
                ["label"] = parse.GetValue(label) ?? string.Empty,
                ["endpoints"] = new JsonArray([.. (parse.GetValue(endpoint) ?? []).Select(e => JsonValue.Create(e))]),
                ["operations"] = new JsonArray([.. (parse.GetValue(op) ?? []).Select(o => JsonValue.Create(o))]),
                ["node"] = parse.GetValue(node),
                ["expiresInSeconds"] = seconds,
            };
            var call = AdminCall.For(parse, server, adminKey, Console.Error);
            var (exit, answer) = await call.SendAsync(HttpMethod.Post, "/api/keys", body.ToJsonString(), ct)
                .ConfigureAwait(false);
            return exit != 0 ? exit : await ShowSecretAsync(answer, parse.GetValue(format) == "json",
                parse.GetValue(output), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ListCommand()
    {
        var (server, adminKey, format, _) = Common();
        var command = new Command("list", "List the stored keys: id, kind, scope, created, expires, last used.")
        {
            server, adminKey, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (exit, answer) = await AdminCall.For(parse, server, adminKey, Console.Error)
                .SendAsync(HttpMethod.Get, "/api/keys", json: null, ct).ConfigureAwait(false);
            if (exit != 0 || parse.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(answer).ConfigureAwait(false);
                return exit;
            }

            using var doc = JsonDocument.Parse(answer);
            KeyTable.Write(doc.RootElement.GetProperty("keys"), Console.Out);
            return 0;
        });
        return command;
    }

    private static Command RevokeCommand()
    {
        var (server, adminKey, _, _) = Common();
        var id = new Argument<string>("id") { Description = "The key's id (key_…), as 'hearth keys list' shows it." };
        var command = new Command("revoke", "Revoke a key: refused on every replica within a second.")
        {
            server, adminKey, id,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (exit, _) = await AdminCall.For(parse, server, adminKey, Console.Error).SendAsync(HttpMethod.Delete,
                $"/api/keys/{Uri.EscapeDataString(parse.GetValue(id)!)}", json: null, ct).ConfigureAwait(false);
            if (exit == 0)
            {
                await Console.Out.WriteLineAsync($"Revoked {parse.GetValue(id)}.").ConfigureAwait(false);
            }

            return exit;
        });
        return command;
    }

    private static Command RotateCommand()
    {
        var (server, adminKey, format, output) = Common();
        var id = new Argument<string>("id") { Description = "The key's id (key_…)." };
        var grace = new Option<string>("--grace")
        {
            Description = "How long the old key keeps working: 0, 90m, 12h, 30d (default 1h).",
            DefaultValueFactory = _ => "1h",
        };
        var command = new Command("rotate", """
            Replace a key with a new one of the same scope; the old one keeps working for --grace, so its users can
            move over without a failed request.
            """) { server, adminKey, format, output, id, grace };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(grace)!;
            if ((text == "0" ? 0 : Seconds(text)) is not { } seconds)
            {
                await Console.Error.WriteLineAsync($"--grace '{text}' is not a duration: write 0, 90m, 12h or 30d.")
                    .ConfigureAwait(false);
                return 1;
            }

            var (exit, answer) = await AdminCall.For(parse, server, adminKey, Console.Error).SendAsync(HttpMethod.Post,
                $"/api/keys/{Uri.EscapeDataString(parse.GetValue(id)!)}/rotate",
                $$"""{"graceSeconds": {{seconds.ToString(CultureInfo.InvariantCulture)}}}""", ct).ConfigureAwait(false);
            return exit != 0 ? exit : await ShowSecretAsync(answer, parse.GetValue(format) == "json",
                parse.GetValue(output), ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Prints a new key (or writes its secret to a 0600 file) and what it is.</summary>
    private static async Task<int> ShowSecretAsync(string answer, bool json, string? path, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(answer);
        var root = doc.RootElement;
        var secret = root.GetProperty("key").GetString()!;
        var record = root.GetProperty("record");
        if (path is not null)
        {
            if (SecretFile.Write(path, secret) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 1;
            }
        }

        if (json)
        {
            await Console.Out.WriteLineAsync(path is null ? answer
                : answer.Replace(secret, $"(written to {path})", StringComparison.Ordinal)).ConfigureAwait(false);
            return 0;
        }

        using (var one = JsonDocument.Parse($"[{record.GetRawText()}]"))
        {
            KeyTable.Write(one.RootElement, Console.Out);
        }

        await Console.Out.WriteLineAsync(path is null
            ? $"\n{secret}\n\nShown once: store it now (Hearth keeps only its hash)."
            : $"\nThe secret is in {path} (mode 0600); Hearth keeps only its hash.").ConfigureAwait(false);
        if (root.TryGetProperty("previous", out var previous))
        {
            await Console.Out.WriteLineAsync($"The old key {previous.GetProperty("id").GetString()} works until "
                + $"{previous.GetProperty("expires").GetString() ?? "revoked"}.").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>A duration as 90s, 90m, 12h or 30d; null when it is none of those.</summary>
    public static long? Seconds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.Length < 2 ? 0
            : text[^1] switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L };
        return unit > 0 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n is > 0 and < 1_000_000_000 ? n * unit : null;
    }

    private static (Option<string> Server, Option<string?> AdminKey, Option<string> Format, Option<string?> Out)
        Common()
    {
        var format = new Option<string>("--format")
        {
            Description = "Output: a table (text) or the API's JSON (json).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var output = new Option<string?>("--out")
        {
            Description = "Write the new secret to this file (created with mode 0600) instead of printing it.",
        };
        return (AdminCall.ServerOption(), AdminCall.AdminKeyOption(), format, output);
    }
}
