/** The playground's labs, in the order the index lists them. */
export const LABS = [
  {
    slug: "tokenizers",
    title: "Tokenizers side by side",
    summary: "The same text through course-lm's tokenizer and the real tokenizers of GPT-2, GPT-4, GPT-4o, Llama 3, Gemma 3, Qwen3 and DeepSeek V3.",
  },
  {
    slug: "next-token",
    title: "Next token & sampling",
    summary: "The model's distribution for your prompt, and every sampling stage — penalties, temperature, top-k, top-p, min-p — live. Step, pick, undo.",
  },
  {
    slug: "perplexity",
    title: "Perplexity meter",
    summary: "How surprised the model is by each token of any text: a heat map, cross-entropy and perplexity; compare two texts.",
  },
  {
    slug: "embeddings",
    title: "Embeddings",
    summary: "course-lm's token embeddings projected to 2-D, nearest neighbours by cosine, and vector arithmetic.",
  },
  {
    slug: "bpe",
    title: "Train a BPE",
    summary: "Watch byte-pair merges happen on your own text, then tokenize with the result.",
  },
  {
    slug: "engine",
    title: "Model & backend",
    summary: "Load a model on the server or in your browser (WebGPU or WebAssembly), with download progress, and generate with a full trace.",
  },
] as const;

export type LabSlug = (typeof LABS)[number]["slug"];
