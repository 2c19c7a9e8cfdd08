import type { Metadata } from "next";
import { Suspense } from "react";
import { TokenizersLab } from "@/components/playground/tokenizers/tokenizers-lab";
import { PageTitle } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Tokenizers side by side" };

export default function TokenizersPage() {
  return (
    <>
      <PageTitle
        title="Tokenizers side by side"
        lead="The same text through course-lm's own tokenizer and the real tokenizers of GPT-2, GPT-4, GPT-4o, Llama 3, Gemma 3, Qwen3 and DeepSeek V3 — every piece, every id, on this server, offline."
      />
      {/* useSearchParams (the lab's URL state) needs a Suspense boundary in a static page. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading the lab…</p>}>
        <TokenizersLab />
      </Suspense>
    </>
  );
}
