import Link from "next/link";
import { currentUser } from "@/lib/auth";
import { signOutAction } from "@/lib/auth/actions";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";

export const NAV = [
  { href: "/learn", label: "Learn" },
  { href: "/tutor", label: "Tutor" },
  { href: "/playground", label: "Playground" },
  { href: "/progress", label: "Progress" },
] as const;

export async function Header() {
  const user = await currentUser();
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/85 backdrop-blur dark:border-slate-800 dark:bg-slate-950/85">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <Logo />
          <span>Glassbox</span>
        </Link>
        <nav aria-label="Main" className="ml-4 hidden md:block">
          <NavLinks items={NAV} />
        </nav>
        <div className="ml-auto flex items-center gap-1">
          <ThemeToggle />
          {user ? <AccountMenu name={user.name ?? user.email} email={user.email} /> : <SignInLinks />}
          <details className="relative md:hidden">
            <summary
              aria-label="Menu"
              className="list-none cursor-pointer rounded-md p-2 hover:bg-slate-100 dark:hover:bg-slate-800 [&::-webkit-details-marker]:hidden"
            >
              <span aria-hidden>☰</span>
            </summary>
            <nav
              aria-label="Mobile"
              className="absolute right-0 mt-2 w-48 rounded-lg border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-800 dark:bg-slate-900"
            >
              <NavLinks items={NAV} vertical />
            </nav>
          </details>
        </div>
      </div>
    </header>
  );
}

function SignInLinks() {
  return (
    <Link
      href="/signin"
      className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
    >
      Sign in
    </Link>
  );
}

function AccountMenu({ name, email }: { name: string; email: string }) {
  return (
    <details className="relative">
      <summary
        className="flex list-none cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800 [&::-webkit-details-marker]:hidden"
        aria-label="Account menu"
      >
        <span
          aria-hidden
          className="grid h-7 w-7 place-items-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700 dark:bg-brand-700 dark:text-white"
        >
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden max-w-32 truncate sm:inline" data-testid="account-name">
          {name}
        </span>
      </summary>
      <div className="absolute right-0 mt-2 w-56 rounded-lg border border-slate-200 bg-white p-2 text-sm shadow-lg dark:border-slate-800 dark:bg-slate-900">
        <p className="truncate px-2 py-1 text-slate-500 dark:text-slate-400">{email}</p>
        <Link href="/progress" className="block rounded px-2 py-1.5 hover:bg-slate-100 dark:hover:bg-slate-800">
          My progress
        </Link>
        <form action={signOutAction}>
          <button type="submit" className="w-full rounded px-2 py-1.5 text-left hover:bg-slate-100 dark:hover:bg-slate-800">
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}

export function Logo() {
  return (
    <svg viewBox="0 0 24 24" className="h-6 w-6 text-brand-500" aria-hidden>
      <rect x="3" y="3" width="18" height="18" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M7 15l3-3 2 2 5-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
