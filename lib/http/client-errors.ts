/**
 * Browser side of the API's error contract: a failed response's JSON `{ error, fields? }`
 * read into a message a page can show.
 */
export interface ApiErrorInfo {
  message: string;
  status: number;
  fields?: Record<string, string>;
}

export async function readApiError(response: Response): Promise<ApiErrorInfo> {
  let message = `the server answered ${response.status}`;
  let fields: Record<string, string> | undefined;
  try {
    const body = (await response.json()) as { error?: string; fields?: Record<string, string> };
    if (body.error) message = body.error;
    fields = body.fields;
  } catch {
    /* not JSON */
  }
  // Busy and rate-limited answers clear by themselves; say so unless the server already did.
  if ((response.status === 503 || response.status === 429) && !/try again/i.test(message)) message = `${message} (try again in a moment)`;
  return { message, status: response.status, fields };
}
