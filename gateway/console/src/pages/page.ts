// What every console page is: a title, the API routes it reads (the nav shows it only when the
// gateway says the caller may call all of them), and how it renders from its URL parameters.
import type { Session } from '../api';

export interface PageContext {
  readonly session: Session;
  /** The page's parameters (the part of the URL hash after `?`). */
  readonly params: URLSearchParams;
  /** Go to this page with other parameters (a new history entry, so Back works). */
  navigate(params: Record<string, string>): void;
  /** Whether the gateway's route table lets this caller call `METHOD /url/:template`. */
  allowed(route: string): boolean;
  /** Run when the user leaves the page (e.g. to close the live event stream). */
  onLeave(cleanup: () => void): void;
}

export interface Page {
  readonly id: string;
  readonly title: string;
  /** `GET /v1/...` templates exactly as in the gateway's route table. */
  readonly requires: readonly string[];
  render(context: PageContext): Node;
}

/** The parameter, or '' (a form field's empty value). */
export const param = (context: PageContext, name: string): string => context.params.get(name) ?? '';
