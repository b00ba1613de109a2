// Book page. Placeholder until the booking flow lands.
import type { PageProps } from "../app/contract";

export function BookPage(_props: PageProps) {
  return (
    <section aria-labelledby="page-title" data-testid="page-book">
      <h1 id="page-title">Book</h1>
      <p class="placeholder">Not built yet: this page is part of issue #9, part 2.</p>
    </section>
  );
}
