// Whether the session ended under the user's feet (a 401 on a signed-in request), so the
// sign-in page can say "your session expired" rather than greet them as new.
type Listener = () => void;
let expired = false;
const listeners = new Set<Listener>();

export const sessionStore = {
  isExpired: (): boolean => expired,
  expire(): void {
    if (expired) return;
    expired = true;
    listeners.forEach((l) => l());
  },
  clear(): void {
    if (!expired) return;
    expired = false;
    listeners.forEach((l) => l());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
