/** An error said to the person at the page (announced to screen readers); nothing without one. */
export function ErrorLine({ message }: { message: string | null }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}
