export { signUpSchema as postSignUpSchema } from "@/lib/auth/credentials";
