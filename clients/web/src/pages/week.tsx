// Week page. Placeholder until the week view lands.
import type { PageProps } from "../app/contract";

export function WeekPage(_props: PageProps) {
  return (
    <section aria-labelledby="page-title" data-testid="page-week">
      <h1 id="page-title">Week</h1>
      <p class="placeholder">Not built yet: this page is part of issue #9, part 2.</p>
    </section>
  );
}
