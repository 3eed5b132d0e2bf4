import { ReplyErrorException, type ReplyError } from '@keyward/messaging';

/** Awaits a client call that must fail and returns the reply error for further assertions. */
export async function expectReplyError(call: Promise<unknown>, code: string): Promise<ReplyError> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof ReplyErrorException)) {
    throw new Error(
      `expected reply error ${code}, got ${caught === undefined ? 'success' : String(caught)}`,
    );
  }
  expect(caught.error.code).toBe(code);
  return caught.error;
}

export const bearer = (secret: string) => `Bearer ${secret}`;
