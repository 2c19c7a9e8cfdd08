/**
 * The inspector: reusable views of a model reply's trace, for the tutor, the playground and
 * the lessons. `Inspector` composes them; each can also be used on its own. They only call
 * back (onSelect, onBranch, onReplay): fetching and running the model is the host's job.
 */
export { Inspector, type InspectorProps, type InspectorSection } from "./inspector";
export { PromptView, type PromptViewProps } from "./prompt-view";
export { ReplyTokens, ProbabilityLegend, type ReplyTokensProps } from "./reply-tokens";
export { StepDetail, type StepDetailProps } from "./step-detail";
export { SurpriseChart, type SurpriseChartProps } from "./surprise-chart";
export { ReplayForm, type ReplayFormProps } from "./replay-form";
export { BranchPicker, type BranchPickerProps } from "./branch-picker";
export { TraceMeta } from "./trace-meta";
export { TokenGlyphs } from "./token";
