"use client";

import { useUrlState } from "@/components/playground/use-url-state";
import { DEFAULT_BPE_TEXT, MAX_LAB_TEXT, MAX_LAB_VOCAB, MIN_LAB_VOCAB } from "@/lib/tokenizers/bpe/lab";
import { numberField, textField, type Spec } from "@/lib/playground/url-state";
import { BpeTrainer, type Preset } from "./bpe-trainer";

interface BpeState {
  text: string;
  vocab: number;
  test: string;
}

const SPEC: Spec<BpeState> = {
  text: textField(DEFAULT_BPE_TEXT, MAX_LAB_TEXT),
  vocab: numberField(300, { min: MIN_LAB_VOCAB, max: MAX_LAB_VOCAB, integer: true }),
  test: textField("", MAX_LAB_TEXT),
};

/** /playground/bpe: train a BPE on your text; text, vocabulary size and test text live in the URL. */
export function BpeLab({ presets }: { presets: readonly Preset[] }) {
  const [state, update] = useUrlState(SPEC);
  return <BpeTrainer text={state.text} vocabSize={state.vocab} testText={state.test} presets={presets} onChange={update} />;
}
