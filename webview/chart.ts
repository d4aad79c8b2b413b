/**
 * Vega-Lite charts under the webview CSP: vega's expression AST interpreter instead of
 * `new Function` (no 'unsafe-eval'), no vega-embed action menu (exports go through the
 * host), and colours, fonts and grid taken from VS Code's theme variables at render time.
 */
import vegaEmbed, { type Result, type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { Config } from 'vega-lite';
import { post } from './api.js';

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Category palette: the editor's chart colours, so runs look the same as elsewhere in VS Code. */
export function palette(): string[] {
  return [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-yellow', '#cca700'),
    cssVar('--vscode-terminal-ansiCyan', '#11a8cd'),
    cssVar('--vscode-terminal-ansiMagenta', '#bc3fbc'),
  ];
}

/** Secondary text colour of the theme, for reference lines and their labels. */
export function mutedColour(): string {
  return cssVar('--vscode-descriptionForeground', cssVar('--vscode-editor-foreground', '#888888'));
}

export function themeConfig(): Config {
  const fg = cssVar('--vscode-editor-foreground', '#cccccc');
  const muted = cssVar('--vscode-descriptionForeground', fg);
  const grid = cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', '#80808040'));
  const font = cssVar('--vscode-font-family', 'sans-serif');
  return {
    background: 'transparent',
    font,
    view: { stroke: 'transparent' },
    axis: {
      labelColor: muted,
      titleColor: fg,
      gridColor: grid,
      domainColor: grid,
      tickColor: grid,
      gridOpacity: 0.5,
    },
    legend: { labelColor: fg, titleColor: fg },
    // subtitleColor: vega's default is near-black, unreadable on a dark theme; the offset
    // keeps a subtitle off the top tick label
    title: {
      color: fg,
      subtitleColor: muted,
      anchor: 'start',
      fontSize: 13,
      fontWeight: 600,
      offset: 10,
    },
    header: { labelColor: fg, titleColor: fg },
    range: { category: palette() },
    text: { color: fg },
  };
}

export interface Chart {
  readonly result: Result;
  readonly el: HTMLElement;
}

type AfterEmbed = (view: Result['view']) => Promise<void>;

const live = new Set<{
  el: HTMLElement;
  spec: VisualizationSpec;
  renderer: 'svg' | 'canvas';
  after?: AfterEmbed;
  result?: Result;
}>();

/**
 * @param after fills named datasets and attaches listeners; it runs again when a theme change
 * re-embeds the chart, so charts fed through view.data() keep their data.
 */
export async function embed(
  el: HTMLElement,
  spec: VisualizationSpec,
  renderer: 'svg' | 'canvas' = 'svg',
  after?: AfterEmbed,
): Promise<Result> {
  for (const c of live) {
    if (c.el === el) {
      c.result?.finalize();
      live.delete(c);
    }
  }
  const result = await vegaEmbed(el, spec, {
    ast: true,
    expr: expressionInterpreter,
    actions: false,
    defaultStyle: false,
    renderer,
    config: themeConfig(),
    tooltip: { disableDefaultStyle: true, theme: 'reclab' },
  });
  live.add({ el, spec, renderer, after, result });
  if (after) await after(result.view);
  return result;
}

/** Tells the host (and tests) how many charts are on screen. */
export function rendered(): void {
  post({ type: 'rendered', charts: live.size });
}

// A theme switch changes the CSS variables and the body class; redraw with the new colours.
new MutationObserver(() => {
  for (const c of [...live]) void embed(c.el, c.spec, c.renderer, c.after).then(rendered);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

export function finalizeAll(): void {
  for (const c of live) c.result?.finalize();
  live.clear();
}
