import type { Metadata } from "next";
import { Suspense } from "react";
import { EmbeddingsLab, type TrainingFacts } from "@/components/playground/embeddings/embeddings-lab";
import { PageTitle } from "@/components/ui/empty-state";
import { trainingCurve } from "@/lib/course/training-log";
import { readCourseLmJson } from "@/lib/embeddings/server";

export const metadata: Metadata = { title: "Embeddings" };

/** The size of the run, for the lab's honest note; null (a generic note) if the log is missing or malformed. */
async function trainingFacts(): Promise<TrainingFacts | null> {
  try {
    const curve = trainingCurve(await readCourseLmJson("training-log.json"));
    return { parameters: curve.parameters, trainTokens: curve.trainTokens, epochs: curve.final.epochs };
  } catch {
    return null;
  }
}

export default async function EmbeddingsPage() {
  const facts = await trainingFacts();
  return (
    <>
      <PageTitle
        title="Embeddings"
        lead="Every token id is a row of numbers the model learned. Here are course-lm's, all of them: on a 2-D map, by nearest neighbours, and in vector arithmetic — with the real numbers, including where a small model falls short."
      />
      {/* useSearchParams (the lab's URL state) needs a Suspense boundary in a prerendered page. */}
      <Suspense fallback={<p className="text-sm text-slate-600 dark:text-slate-400">Loading the lab…</p>}>
        <EmbeddingsLab facts={facts} />
      </Suspense>
    </>
  );
}
