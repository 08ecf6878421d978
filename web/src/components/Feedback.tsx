import { message } from "antd";
import type { MessageInstance } from "antd/es/message/interface";
import { createContext, type ReactNode, useContext } from "react";

const MessageContext = createContext<MessageInstance | null>(null);

/**
 * Toast messages that follow the theme and locale (antd's `App` would do it too, but it also drags the modal
 * and notification code into the first load).
 */
export function MessageProvider({ children }: { children: ReactNode }) {
  const [api, holder] = message.useMessage();
  return (
    <MessageContext.Provider value={api}>
      {holder}
      {children}
    </MessageContext.Provider>
  );
}

export function useMessage(): MessageInstance {
  const ctx = useContext(MessageContext);
  if (!ctx) throw new Error("useMessage outside MessageProvider");
  return ctx;
}
