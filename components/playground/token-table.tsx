import type { TraceStep } from "@/lib/llm/trace";

/**
 * How a token reads, with its invisible characters made visible: a space is "·", a
 * newline "⏎", a tab "⇥". Partial UTF-8 bytes already read "<0xF0>" in the trace
 * (lib/llm/tokens.ts), so nothing here ever shows "�".
 */
export function visibleToken(text: string): string {
  return text.replaceAll(" ", "·").replaceAll("\n", "⏎").replaceAll("\t", "⇥");
}

/** The reply's tokens as a table: the token (byte-faithful), its id, p and rank. */
export function TokenTable({ steps, caption }: { steps: readonly TraceStep[]; caption?: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
      <table className="w-full border-collapse text-sm" aria-label={caption ?? "Reply tokens"}>
        {caption && <caption className="px-3 py-2 text-left text-sm font-semibold">{caption}</caption>}
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wider text-slate-500 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              #
            </th>
            <th scope="col" className="px-3 py-2">
              Token
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Id
            </th>
            <th scope="col" className="px-3 py-2 text-right" title="The model's own probability of this token (temperature 1, no filters)">
              p
            </th>
            <th scope="col" className="px-3 py-2 text-right" title="Rank by raw logit: 0 = the model's top choice">
              Rank
            </th>
            <th scope="col" className="px-3 py-2 text-right" title="The uniform draw that picked it (— when greedy)">
              u
            </th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.index} data-token-id={s.tokenId} className="border-t border-slate-100 dark:border-slate-800">
              <td className="px-3 py-1.5 tabular-nums text-slate-500">{s.index}</td>
              <td className="px-3 py-1.5">
                <code
                  className={`whitespace-pre rounded px-1 font-mono ${s.special ? "bg-amber-100 dark:bg-amber-950" : "bg-slate-100 dark:bg-slate-800"}`}
                  title={s.bytes ? `bytes: ${s.bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ")}` : undefined}
                >
                  {visibleToken(s.text)}
                </code>
                {s.forced && <span className="ml-2 text-xs text-slate-500">forced</span>}
              </td>
              <td className="px-3 py-1.5 text-right font-mono tabular-nums">{s.tokenId}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{Math.exp(s.logprob).toFixed(3)}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{s.rank}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{s.u === null ? "—" : s.u.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
