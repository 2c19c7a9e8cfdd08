"use client";

import dynamic from "next/dynamic";
import type { Challenge } from "@/lib/course/challenges";
import { OnView } from "@/components/ui/on-view";

const ChallengeCard = dynamic(() => import("./challenge-card").then((m) => m.ChallengeCard));

/** A lesson's inspector challenge, its code fetched when the learner scrolls near it (cards measure 284–414 px on a 1280 px screen). */
export function LazyChallengeCard({ challenge }: { challenge: Challenge }) {
  return (
    <OnView minHeight={340} label="The inspector challenge" id={`challenge-${challenge.id}`}>
      <ChallengeCard challenge={challenge} />
    </OnView>
  );
}
