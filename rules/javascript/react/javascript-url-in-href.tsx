import React from "react";

type Item = { id: string; url: string };

export function OpenLink({ onOpen }: { onOpen: () => void }) {
  // ruleid: javascript.react.javascript-url-in-href
  return <a href="javascript:void(0)" onClick={onOpen}>Open</a>;
}

export function SelectLink({ item }: { item: Item }) {
  // ruleid: javascript.react.javascript-url-in-href
  return <a href={`javascript:select('${item.id}')`}>Select</a>;
}

export function OpenButton({ onOpen }: { onOpen: () => void }) {
  // ok: javascript.react.javascript-url-in-href
  return <button type="button" onClick={onOpen}>Open</button>;
}

export function GuideLink() {
  // ok: javascript.react.javascript-url-in-href
  return <a href="/docs/javascript-guide">JavaScript guide</a>;
}

export function ItemLink({ item }: { item: Item }) {
  // ok: javascript.react.javascript-url-in-href
  return <a href={item.url}>Item</a>;
}
