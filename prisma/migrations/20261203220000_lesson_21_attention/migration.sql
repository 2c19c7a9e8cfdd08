-- Lesson 21 "A first look at attention" was inserted before the KV-cache lesson, so lessons
-- 21–25 became 22–26 and their slugs changed. Saved progress, quiz attempts and review items
-- follow their lesson (highest first, so no slug is ever taken twice). Keep in step with
-- lib/course/renamed-lessons.ts, which redirects the old URLs.
UPDATE "LessonProgress" SET "lessonSlug" = '26-training-at-scale' WHERE "lessonSlug" = '25-training-at-scale';
UPDATE "LessonProgress" SET "lessonSlug" = '25-training-loop' WHERE "lessonSlug" = '24-training-loop';
UPDATE "LessonProgress" SET "lessonSlug" = '24-cross-entropy-and-perplexity' WHERE "lessonSlug" = '23-cross-entropy-and-perplexity';
UPDATE "LessonProgress" SET "lessonSlug" = '23-extending-context' WHERE "lessonSlug" = '22-extending-context';
UPDATE "LessonProgress" SET "lessonSlug" = '22-kv-cache' WHERE "lessonSlug" = '21-kv-cache';
UPDATE "QuizAttempt" SET "lessonSlug" = '26-training-at-scale' WHERE "lessonSlug" = '25-training-at-scale';
UPDATE "QuizAttempt" SET "lessonSlug" = '25-training-loop' WHERE "lessonSlug" = '24-training-loop';
UPDATE "QuizAttempt" SET "lessonSlug" = '24-cross-entropy-and-perplexity' WHERE "lessonSlug" = '23-cross-entropy-and-perplexity';
UPDATE "QuizAttempt" SET "lessonSlug" = '23-extending-context' WHERE "lessonSlug" = '22-extending-context';
UPDATE "QuizAttempt" SET "lessonSlug" = '22-kv-cache' WHERE "lessonSlug" = '21-kv-cache';
UPDATE "ReviewItem" SET "lessonSlug" = '26-training-at-scale' WHERE "lessonSlug" = '25-training-at-scale';
UPDATE "ReviewItem" SET "lessonSlug" = '25-training-loop' WHERE "lessonSlug" = '24-training-loop';
UPDATE "ReviewItem" SET "lessonSlug" = '24-cross-entropy-and-perplexity' WHERE "lessonSlug" = '23-cross-entropy-and-perplexity';
UPDATE "ReviewItem" SET "lessonSlug" = '23-extending-context' WHERE "lessonSlug" = '22-extending-context';
UPDATE "ReviewItem" SET "lessonSlug" = '22-kv-cache' WHERE "lessonSlug" = '21-kv-cache';
