"use client";

import Link from "next/link";
import { BpeTrainer } from "@/components/playground/bpe/bpe-trainer";
import { MAX_LAB_TEXT, MAX_LAB_VOCAB, MIN_LAB_VOCAB } from "@/lib/tokenizers/bpe/lab";
import type { DemoProps } from "./types";
import { TokenizerDemoFrame as DemoFrame } from "./tokenizer-demo-frame";

/** The demo's vocabulary size: the prop if it is an integer in the lab's range, else 300. */
export function demoVocabSize(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= MIN_LAB_VOCAB && n <= MAX_LAB_VOCAB ? n : 300;
}

/** `<Demo kind="bpe-trainer" text="…" vocabSize="300" />`: train a BPE on the text, in a worker, as the page opens. */
export function BpeTrainerDemo({ kind, text = "", vocabSize }: DemoProps) {
  const vocab = demoVocabSize(vocabSize);
  const href = `/playground/bpe?${new URLSearchParams({ text: text.slice(0, MAX_LAB_TEXT), vocab: String(vocab) })}`;
  return (
    <DemoFrame
      kind={kind}
      title="BPE trainer"
      footer={
        <Link href={href} className="inline-block text-sm font-medium text-brand-700 underline hover:no-underline dark:text-brand-400">
          Open in the playground →
        </Link>
      }
    >
      <BpeTrainer text={text.slice(0, MAX_LAB_TEXT)} vocabSize={vocab} compact autoTrain />
    </DemoFrame>
  );
}
