"use client";

import { useState } from "react";
import { GlyphKey } from "@/components/inspector/token";
import { TokenPieces } from "@/components/playground/tokenizers/token-pieces";
import { shownOutcome, useTokenize } from "@/components/playground/tokenizers/use-tokenize";
import { MAX_TOKENIZE_CHARS } from "@/lib/tokenizers/limits";
import { TokenCountLine } from "./course-lm-tokens";
import type { DemoProps } from "./types";
import { DemoTextInput, TokenizerDemoFrame as DemoFrame } from "./tokenizer-demo-frame";

const ONLY_COURSE_LM = ["course-lm"] as const;

/** `<Demo kind="tokenizer" text="…" />`: course-lm's tokenizer on an editable text — pieces and ids. */
export function TokenizerDemo({ kind, text = "" }: DemoProps) {
  const [value, setValue] = useState(text.slice(0, MAX_TOKENIZE_CHARS));
  const state = useTokenize(value, ONLY_COURSE_LM)["course-lm"];
  const outcome = shownOutcome(state);
  return (
    <DemoFrame kind={kind} title="course-lm's tokenizer">
      <DemoTextInput value={value} onChange={setValue} />
      <TokenCountLine text={value} state={state} unit={(chars) => `tokens for ${chars} characters`} />
      {outcome?.ok && <TokenPieces tokens={outcome.tokens} label="course-lm tokens" max={500} />}
      <GlyphKey />
    </DemoFrame>
  );
}
