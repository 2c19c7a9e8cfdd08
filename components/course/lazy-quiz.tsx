"use client";

import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import { OnView } from "@/components/ui/on-view";
import type { Quiz as QuizComponent } from "./quiz";

/**
 * The lesson's quiz, loaded when the learner scrolls near it (OnView), like the demos: it sits
 * at the end of the page, and its code (answer forms, scoring, review) was the largest part of
 * every lesson's first-load JavaScript — about 4 KB compressed of the page's own 8.5. Arriving
 * by a link to #quiz scrolls the placeholder into view, which loads it at once.
 */
const Quiz = dynamic(() => import("./quiz").then((m) => m.Quiz));

/** About a question's height on a 1280 px screen (measured: six questions 1,590–2,090 px, seven 2,210), plus the submit row. */
const QUESTION_PX = 300;
const SUBMIT_ROW_PX = 100;

export function LazyQuiz(props: ComponentProps<typeof QuizComponent>) {
  return (
    <OnView minHeight={props.quiz.questions.length * QUESTION_PX + SUBMIT_ROW_PX} label="The quiz" id="quiz">
      <Quiz {...props} />
    </OnView>
  );
}
