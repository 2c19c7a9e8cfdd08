import type { Metadata } from "next";
import { PageTitle } from "@/components/ui/empty-state";
import { TutorApp } from "@/components/tutor/tutor-app";
import { currentUser } from "@/lib/auth";
import { starterQuestions } from "@/lib/tutor/starters";

export const metadata: Metadata = { title: "Tutor" };

export default async function TutorPage() {
  const user = await currentUser();
  return (
    <>
      <PageTitle
        title="Tutor"
        lead="Ask anything about the course. Replies come from a real model, grounded in the lessons they cite, and every one opens in the inspector."
      />
      <TutorApp signedIn={Boolean(user)} starters={starterQuestions()} />
    </>
  );
}
