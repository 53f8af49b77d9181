using Spectre.Console;

namespace SpatialAudio.Cli;

/// <summary>The writers a command uses: results to <see cref="Out"/>, progress and diagnostics to <see cref="Error"/>.</summary>
public sealed class CliIo
{
    private readonly IAnsiConsole progressConsole;

    /// <summary>Wraps the two writers.</summary>
    /// <param name="stdout">Results.</param>
    /// <param name="stderr">Progress, warnings and errors.</param>
    public CliIo(TextWriter stdout, TextWriter stderr)
    {
        Out = stdout;
        Error = stderr;
        var stdoutIsTerminal = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = CreateConsole(stdout, stdoutIsTerminal);
        Interactive = ReferenceEquals(stderr, System.Console.Error) && !System.Console.IsErrorRedirected;
        progressConsole = CreateConsole(stderr, Interactive);
    }

    /// <summary>Results (tables, JSON).</summary>
    public TextWriter Out { get; }

    /// <summary>Progress, warnings and errors.</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre console over <see cref="Out"/> for tables; plain text when redirected.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True when stderr is a terminal a person watches (progress bars are drawn there then).</summary>
    public bool Interactive { get; }

    /// <summary>Runs <paramref name="work"/> with a progress bar on a terminal, or with a few plain lines otherwise.</summary>
    /// <param name="description">What is being done.</param>
    /// <param name="work">The work; it reports progress as a fraction 0..1.</param>
    public void WithProgress(string description, Action<Action<double>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Interactive)
        {
            progressConsole.Progress().Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: 1.0);
                work(fraction => task.Value = Math.Clamp(fraction, 0, 1));
                task.Value = 1.0;
            });
            return;
        }

        // Redirected output (CI, pipes): one line before and after instead of a redrawn bar.
        Error.WriteLine($"{description} ...");
        work(_ => { });
        Error.WriteLine($"{description}: done");
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
        });

        // Redirected output has no window width; wide tables should not wrap into unreadable cells.
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
