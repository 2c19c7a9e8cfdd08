import type { Metadata } from "next";
import { EmptyState, PageTitle } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Playground" };

export default function PlaygroundPage() {
  return (
    <>
      <PageTitle title="Playground" lead="Tokenizers side by side, the next-token and sampling lab, a perplexity meter, embeddings and a BPE trainer." />
      <EmptyState title="No labs yet">The labs arrive with the traced inference engine.</EmptyState>
    </>
  );
}
