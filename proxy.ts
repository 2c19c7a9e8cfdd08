import { NextResponse, type NextRequest } from "next/server";
import { isLessonSlug } from "@/lib/course/lesson-files";
import { renamedLesson } from "@/lib/course/renamed-lessons";

/**
 * Lessons that moved redirect to their new URL; unknown lesson URLs get a real 404 status. The page itself calls notFound() too, but the
 * root loading.tsx makes pages stream, and once streaming has begun the status is already
 * 200 (a known Next.js limitation) — so the check has to happen before rendering, here.
 */
export function proxy(request: NextRequest) {
  const slug = request.nextUrl.pathname.split("/")[3] ?? ""; // real slugs never need %-encoding
  if (isLessonSlug(slug)) return NextResponse.next();
  // A lesson that moved (lib/course/renamed-lessons.ts): a permanent redirect, keeping the #section.
  const moved = renamedLesson(slug);
  if (moved) return NextResponse.redirect(new URL(`/learn/level-1/${moved}${request.nextUrl.search}`, request.url), 308);
  // A path no route matches: Next answers it with the app's not-found page and status 404.
  return NextResponse.rewrite(new URL("/learn/level-1/not-found/404", request.url));
}

export const config = { matcher: "/learn/level-1/:slug" };
