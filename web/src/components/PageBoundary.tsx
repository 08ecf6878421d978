import { Component, type ErrorInfo, type ReactNode } from "react";
import { StatusResult } from "./ErrorResult.tsx";

interface Props {
  children: ReactNode;
  /** A change (the route) clears a caught error. */
  resetKey?: string;
}

/** A page's code could not be fetched (network, or a new deployment replaced the files): reload the app. */
function isChunkError(e: Error): boolean {
  return /dynamically imported module|Importing a module script failed|Loading chunk|module script/i.test(
    e.message,
  );
}

interface State {
  error: Error | undefined;
  resetKey: string | undefined;
}

/** Catches a page's render errors so the shell stays usable: never a blank page. */
export class PageBoundary extends Component<Props, State> {
  override state: State = { error: undefined, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { error: undefined, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("page error", error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <StatusResult
          status={500}
          detail={this.state.error.message}
          onRetry={() => {
            const e = this.state.error;
            if (e && isChunkError(e)) window.location.reload();
            else this.setState({ error: undefined });
          }}
        />
      );
    }
    return this.props.children;
  }
}
