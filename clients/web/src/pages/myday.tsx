// My day page. Placeholder until the roster lands.
import type { PageProps } from "../app/contract";

export function MyDayPage(_props: PageProps) {
  return (
    <section aria-labelledby="page-title" data-testid="page-my-day">
      <h1 id="page-title">My day</h1>
      <p class="placeholder">Not built yet: this page is part of issue #9, part 2.</p>
    </section>
  );
}
