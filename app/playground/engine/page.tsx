import type { Metadata } from "next";
import { EngineLab } from "@/components/playground/engine-lab";
import { PageTitle } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Browser engine" };

export default function EnginePage() {
  return (
    <>
      <PageTitle
        title="The model, in your browser"
        lead="course-lm runs right here, in a worker on this page: on your GPU through WebGPU where the browser offers it, else on the CPU through WebAssembly. Every reply is traced token by token, exactly as on the server."
      />
      <EngineLab />
    </>
  );
}
