import type { ComponentType } from "react";
import type { DemoKind } from "@/lib/course/demos";

/** Props of a `<Demo kind="…" … />` tag in a lesson: all strings (content/README.md). */
export type DemoProps = { kind: string } & Record<string, string>;

/** One family's demos, by kind. */
export type DemoRegistry = Partial<Record<DemoKind, ComponentType<DemoProps>>>;
