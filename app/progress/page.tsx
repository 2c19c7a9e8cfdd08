import type { Metadata } from "next";
import { EmptyState, PageTitle } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Progress" };

export default async function ProgressPage() {
  const user = await requireUser("/progress");
  return (
    <>
      <PageTitle title="Your progress" lead={`Signed in as ${user.email}.`} />
      <EmptyState title="Nothing here yet" action={{ href: "/learn", label: "Start the first lesson" }}>
        Finish a lesson or a quiz and your completion, scores and review queue will show up here.
      </EmptyState>
    </>
  );
}
