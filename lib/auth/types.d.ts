import "next-auth";
import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    /** The server-side Session row this cookie belongs to. */
    sid?: string;
  }
}
