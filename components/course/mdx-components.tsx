import Link from "next/link";
import type { MDXComponents } from "mdx/types";
import type { ComponentProps } from "react";
import { challengeById } from "@/lib/course/challenges";
import { LazyChallengeCard } from "./lazy-challenge-card";
import { Demo } from "./demo";

/** Section headings with a visible "#" link, so a learner (or the tutor) can link to them. */
function Heading({ as: Tag, id, children, ...props }: ComponentProps<"h2"> & { as: "h2" | "h3" }) {
  return (
    <Tag id={id} {...props} className="group scroll-mt-20">
      {children}
      {id && (
        <a href={`#${id}`} aria-label="Link to this section" className="ml-2 text-slate-400 no-underline opacity-0 group-hover:opacity-100 focus:opacity-100">
          #
        </a>
      )}
    </Tag>
  );
}

/** Internal links navigate client-side; external ones open normally. */
function Anchor({ href = "", ...props }: ComponentProps<"a">) {
  return href.startsWith("/") ? <Link href={href} {...props} /> : <a href={href} {...props} />;
}

/** Wide tables scroll inside their own box instead of widening a phone's page. */
function Table(props: ComponentProps<"table">) {
  return (
    <div className="my-6 overflow-x-auto" tabIndex={0} role="region" aria-label="Table">
      <table {...props} />
    </div>
  );
}

/** A `<Challenge id="…" />` tag: the inspector challenge it names (content tests check every id exists). */
function Challenge({ id }: { id: string }) {
  const challenge = challengeById(id);
  return challenge ? <LazyChallengeCard challenge={challenge} /> : null;
}

export const lessonComponents: MDXComponents = {
  Demo,
  Challenge,
  h2: (props) => <Heading as="h2" {...props} />,
  h3: (props) => <Heading as="h3" {...props} />,
  a: Anchor,
  table: Table,
};
