import type { Metadata } from "next";
import { EmptyState, PageTitle } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Learn" };

export default function LearnPage() {
  return (
    <>
      <PageTitle title="Learn" lead="Level 01 — Foundations: 25 short lessons, each with a live demo on a real model and a quiz." />
      <EmptyState title="The course map is being built">
        Lessons are being written and will appear here with your progress on each one.
      </EmptyState>
    </>
  );
}
