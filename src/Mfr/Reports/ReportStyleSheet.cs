namespace Mfr.Reports;

/// <summary>
/// The inline CSS of HTML reports: light theme, system fonts (no web fonts), a readable measure, tabular
/// numbers, figures that shrink with the window, and print rules (no zebra stripes, no breaks inside
/// figures and tables, headings kept with what follows).
/// </summary>
internal static class ReportStyleSheet
{
    public const string Css = """
        :root { color-scheme: light; }
        html { background: #ffffff; color: #1f2328; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 16px; line-height: 1.55; }
        .report-header, main, .toc { max-width: 64rem; margin: 0 auto; padding: 0 1.5rem; }
        .report-header { padding-top: 2rem; padding-bottom: 1rem; border-bottom: 1px solid #d0d7de; }
        h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4rem; }
        .subtitle { color: #57606a; margin: 0; }
        h2 { font-size: 1.4rem; line-height: 1.25; margin: 2.2rem 0 0.6rem; padding-bottom: 0.25rem; border-bottom: 1px solid #eaeef2; }
        h3 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; }
        h4 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
        p, ul { margin: 0.6rem 0; max-width: 48rem; }
        li { margin: 0.15rem 0; }
        .toc { margin-top: 1rem; font-size: 0.95rem; }
        .toc-title { font-weight: 600; margin: 0; }
        .toc ol { margin: 0.3rem 0 0; padding-left: 1.4rem; }
        a { color: #0969da; }
        .table-wrap { overflow-x: auto; margin: 1rem 0 1.4rem; }
        table { border-collapse: collapse; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
        caption { caption-side: top; text-align: left; color: #424a53; font-size: 0.9rem; padding-bottom: 0.4rem; }
        th, td { padding: 0.35rem 0.8rem; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #8c959f; font-weight: 600; }
        tbody tr:nth-child(even) { background: #f6f8fa; }
        th.num, td.num { text-align: right; }
        th.center, td.center { text-align: center; }
        table.kv th { font-weight: 600; white-space: nowrap; }
        td pre { margin: 0; white-space: pre; font-size: 0.95em; }
        td pre code { overflow-wrap: normal; }
        .warnings { margin: 1.2rem 0 0; padding: 0.5rem 1rem; border-left: 4px solid #bf8700; background: #fff8c5; }
        .warnings p { margin: 0.3rem 0; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88em; overflow-wrap: anywhere; }
        figure { margin: 1.6rem 0; }
        figure svg { display: block; max-width: 100%; height: auto; }
        figcaption { font-size: 0.9rem; color: #424a53; margin-top: 0.5rem; max-width: 48rem; }
        .label { font-weight: 600; color: #1f2328; }
        main { padding-bottom: 3rem; }
        @media print {
          body { font-size: 10.5pt; }
          .report-header, main, .toc { max-width: none; padding: 0; }
          .toc { display: none; }
          figure, table, .table-wrap { break-inside: avoid; }
          h2, h3, h4, caption { break-after: avoid; }
          tbody tr:nth-child(even) { background: none; }
          .table-wrap { overflow: visible; }
          a { color: inherit; text-decoration: none; }
        }
        """;
}
