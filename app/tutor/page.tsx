import type { Metadata } from "next";
import { EmptyState, PageTitle } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Tutor" };

export default function TutorPage() {
  return (
    <>
      <PageTitle title="Tutor" lead="Ask anything about the course. Every reply comes from a real model and can be opened in the inspector." />
      <EmptyState title="The tutor is not switched on yet" action={{ href: "/learn", label: "Browse the course" }}>
        It needs the project&apos;s own model, course-lm, and the traced inference engine, both being built now.
      </EmptyState>
    </>
  );
}
