// opencc-js ships its dictionaries as ES modules exporting one string ("from to|from to|…").
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}
