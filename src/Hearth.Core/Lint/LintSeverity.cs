namespace Hearth.Core.Lint;

/// <summary>How much a lint finding matters. Only <see cref="Error"/> makes <c>hearth lint</c> exit non-zero.</summary>
public enum LintSeverity
{
    /// <summary>Production will fail in the way the finding describes; fix before deploying.</summary>
    Error,

    /// <summary>Likely to hurt in production; fix it or know why not.</summary>
    Warning,

    /// <summary>Worth a look; often fine.</summary>
    Info,
}
