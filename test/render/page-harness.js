// In-page helpers for the Mermaid render test (runs in Chromium next to mermaid.min.js).
// Plain JavaScript on purpose: the project's TypeScript has no DOM types.
/* global mermaid, document, window */

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

/**
 * Parses then renders `code`; resolves { ok: false, error } when mermaid rejects it, else what
 * the SVG holds: its line series (stroke colour, number of points) and x-axis labels.
 */
window.renderMermaid = async (id, code) => {
  try {
    await mermaid.parse(code);
    const { svg } = await mermaid.render(id, code);
    const host = document.createElement('div');
    host.innerHTML = svg;
    document.body.appendChild(host);
    const lines = [...host.querySelectorAll('g[class^="line-plot-"] path')].map((path) => ({
      stroke: path.getAttribute('stroke'),
      points: (path.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0,
    }));
    const xLabels = [...host.querySelectorAll('g.bottom-axis g.label text')].map((text) => text.textContent);
    const root = host.querySelector('svg');
    return {
      ok: true,
      isSvg: root !== null && svg.trimStart().startsWith('<svg'),
      lines,
      xLabels,
      title: host.querySelector('g.chart-title text')?.textContent ?? '',
    };
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) };
  }
};

/** Renders every `pre.mermaid` block of the page in place (for comment screenshots). */
window.renderMermaidBlocks = async () => {
  await mermaid.run({ querySelector: 'pre.mermaid' });
};
