import type { ComponentType } from "react";
import { MODEL_DEMOS } from "@/components/demos/model-demos";
import { STATIC_DEMOS } from "@/components/demos/static-demos";
import { TOKENIZER_DEMOS } from "@/components/demos/tokenizer-demos";
import { DEMO_KINDS, isDemoKind, type DemoKind } from "@/lib/course/demos";

export type { DemoProps } from "@/components/demos/types";
import type { DemoProps } from "@/components/demos/types";

/**
 * Live demos, by kind, from three families (each file maps its kinds to components):
 * tokenizers (course-lm's and the real npm tokenizers), the model (the traced engine), and
 * data shipped beside the model (embeddings, training log) or pure arithmetic. A kind with
 * no component yet shows the placeholder below.
 */
const LIVE_DEMOS: Partial<Record<DemoKind, ComponentType<DemoProps>>> = { ...TOKENIZER_DEMOS, ...MODEL_DEMOS, ...STATIC_DEMOS };

/** Renders one `<Demo>` tag from a lesson: the live demo for its kind, or an honest placeholder. */
export function Demo(props: DemoProps) {
  const Live = isDemoKind(props.kind) ? LIVE_DEMOS[props.kind] : undefined;
  return Live ? <Live {...props} /> : <DemoPlaceholder {...props} />;
}

function DemoPlaceholder({ kind, ...props }: DemoProps) {
  const title = isDemoKind(kind) ? DEMO_KINDS[kind].title : kind;
  const entries = Object.entries(props);
  return (
    <aside
      aria-label={`Live demo: ${title}`}
      data-demo-kind={kind}
      className="my-6 rounded-xl border border-dashed border-brand-400/70 bg-brand-50/60 p-4 dark:border-brand-500/50 dark:bg-slate-900"
    >
      <p className="text-xs font-semibold uppercase tracking-wider text-brand-700 dark:text-brand-400">
        Live demo · {title}
      </p>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">This live demo arrives with the inference engine.</p>
      {entries.length > 0 && (
        <dl className="mt-3 grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          {entries.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="font-mono text-xs text-slate-500 dark:text-slate-400 sm:pt-0.5">{name}</dt>
              <dd className="break-words font-mono text-slate-800 dark:text-slate-200">{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </aside>
  );
}
