/**
 * A 2-D scatter of projected embeddings, drawn as plain SVG (no hooks, so the lesson demos
 * render it on the server and the lab in the page). Thousands of faint dots, a few labelled
 * and highlighted ones on top. The SVG is one image for assistive technology; the lists
 * beside it carry the same information as text.
 */
export type PointRole = "query" | "neighbour" | "term" | "result" | "label" | "word";

export interface PlotPoint {
  id: number;
  x: number;
  y: number;
  label?: string;
  role?: PointRole;
}

const ROLE_CLASS: Record<PointRole, string> = {
  query: "fill-brand-600 dark:fill-brand-400",
  neighbour: "fill-emerald-600 dark:fill-emerald-400",
  term: "fill-amber-600 dark:fill-amber-400",
  result: "fill-rose-600 dark:fill-rose-400",
  label: "fill-slate-500 dark:fill-slate-400",
  word: "fill-brand-600 dark:fill-brand-400",
};

const ROLE_ORDER: PointRole[] = ["label", "neighbour", "term", "result", "word", "query"];

export function ScatterPlot({
  background = [],
  points,
  xLabel,
  yLabel,
  ariaLabel,
  height = 420,
}: {
  /** Unlabelled dots (the rest of the vocabulary), as x, y pairs. */
  background?: ArrayLike<number>;
  points: PlotPoint[];
  xLabel: string;
  yLabel: string;
  ariaLabel: string;
  height?: number;
}) {
  const W = 640;
  const H = height;
  const pad = { left: 44, right: 16, top: 16, bottom: 40 };
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  const extend = (x: number, y: number) => {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (let i = 0; i + 1 < background.length; i += 2) extend(background[i], background[i + 1]);
  for (const p of points) extend(p.x, p.y);
  if (!Number.isFinite(minX)) [minX, maxX, minY, maxY] = [-1, 1, -1, 1];
  // Equal margins of 8 % around the data; a degenerate range (all on a line) gets a unit span.
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  minX -= spanX * 0.08;
  maxX += spanX * 0.08;
  minY -= spanY * 0.08;
  maxY += spanY * 0.08;
  const sx = (x: number) => pad.left + ((x - minX) / (maxX - minX)) * (W - pad.left - pad.right);
  const sy = (y: number) => H - pad.bottom - ((y - minY) / (maxY - minY)) * (H - pad.top - pad.bottom);

  let dots = "";
  for (let i = 0; i + 1 < background.length; i += 2) {
    // One path of tiny squares is far cheaper for the browser than 2,000 <circle> elements.
    const x = sx(background[i]).toFixed(1);
    const y = sy(background[i + 1]).toFixed(1);
    dots += `M${x} ${y}h1.6v1.6h-1.6z`;
  }
  const sorted = [...points].sort((a, b) => ROLE_ORDER.indexOf(a.role ?? "label") - ROLE_ORDER.indexOf(b.role ?? "label"));
  const zeroX = minX < 0 && maxX > 0 ? sx(0) : null;
  const zeroY = minY < 0 && maxY > 0 ? sy(0) : null;

  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={ariaLabel} className="h-auto w-full select-none" data-testid="embedding-plot" data-points={background.length / 2 + points.length}>
      <rect x={pad.left} y={pad.top} width={W - pad.left - pad.right} height={H - pad.top - pad.bottom} className="fill-slate-50 stroke-slate-200 dark:fill-slate-900 dark:stroke-slate-800" />
      {zeroX !== null && <line x1={zeroX} x2={zeroX} y1={pad.top} y2={H - pad.bottom} className="stroke-slate-200 dark:stroke-slate-800" strokeDasharray="3 3" />}
      {zeroY !== null && <line x1={pad.left} x2={W - pad.right} y1={zeroY} y2={zeroY} className="stroke-slate-200 dark:stroke-slate-800" strokeDasharray="3 3" />}
      {dots && <path d={dots} className="fill-slate-400/60 dark:fill-slate-500/60" />}
      {sorted.map((p, i) => {
        const role = p.role ?? "label";
        const big = role !== "label";
        return (
          // Two words may share a token (a split word's first piece), so the index is part of the key.
          <g key={`${p.id}-${role}-${i}`} data-token-id={p.id} data-role={role}>
            <circle cx={sx(p.x)} cy={sy(p.y)} r={big ? 4.5 : 2.5} className={`${ROLE_CLASS[role]} stroke-white dark:stroke-slate-950`} strokeWidth={big ? 1 : 0} />
            {p.label && (
              <text
                x={sx(p.x) + 6}
                y={sy(p.y) - 5}
                className={`${big ? "fill-slate-900 font-semibold dark:fill-slate-100" : "fill-slate-500 dark:fill-slate-400"} stroke-white dark:stroke-slate-950`}
                fontSize={big ? 13 : 11}
                paintOrder="stroke"
                strokeWidth={3}
              >
                {p.label}
              </text>
            )}
          </g>
        );
      })}
      <text x={(pad.left + W - pad.right) / 2} y={H - 10} textAnchor="middle" fontSize={12} className="fill-slate-600 dark:fill-slate-400">
        {xLabel}
      </text>
      <text x={12} y={(pad.top + H - pad.bottom) / 2} textAnchor="middle" fontSize={12} transform={`rotate(-90 12 ${(pad.top + H - pad.bottom) / 2})`} className="fill-slate-600 dark:fill-slate-400">
        {yLabel}
      </text>
    </svg>
  );
}
