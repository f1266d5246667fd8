import React from "react";

export function Comment({ html }) {
  // ruleid: jsx-dangerous-inner-html
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Article({ html }) {
  // ruleid: jsx-dangerous-inner-html
  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Plain({ text }) {
  // ok: jsx-dangerous-inner-html
  return <div className="comment">{text}</div>;
}

export function Span({ html }) {
  // ok: jsx-dangerous-inner-html
  return <span dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Links({ url }) {
  // ruleid: jsx-javascript-url
  const run = <a href="javascript:alert(1)">run</a>;
  // ok: jsx-javascript-url
  const home = <a href="https://example.com">home</a>;
  // ok: jsx-javascript-url
  const dynamic = <a href={url}>dynamic</a>;
  return [run, home, dynamic];
}

export function Formula({ expression }) {
  return (
    <p>
      {
        // ruleid: jsx-eval-in-render
        eval(expression)
      }
      {
        // ok: jsx-eval-in-render
        String(expression)
      }
    </p>
  );
}
