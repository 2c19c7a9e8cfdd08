/**
 * course-lm's tokenizer in the browser: the same tokenizer.json the worker loads, fetched from
 * the registry's `COURSE_LM.urlPath` and parsed into the project's own encoder, once per page.
 */
import { COURSE_LM } from "../llm/registry.ts";
import { BpeEncoder } from "./bpe/encode.ts";
import { fromTokenizerJson } from "./bpe/export.ts";

let loading: Promise<BpeEncoder> | null = null;

export function fetchCourseLmEncoder(): Promise<BpeEncoder> {
  loading ??= fetch(`${COURSE_LM.urlPath}/tokenizer.json`)
    .then((r) => {
      if (!r.ok) throw new Error(`course-lm's tokenizer could not be loaded (${r.status})`);
      return r.json();
    })
    .then((json) => new BpeEncoder(fromTokenizerJson(json)));
  loading.catch(() => (loading = null)); // a failure is retried on the next call
  return loading;
}
