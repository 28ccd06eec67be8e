/** The shortest password we accept. Its own module: form parsing needs it without loading the argon2 addon. */
export const MIN_PASSWORD_LENGTH = 10;
