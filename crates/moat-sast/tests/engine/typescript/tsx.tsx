import React, { useState, type FC, type ReactNode } from "react";

interface CommentProps {
  html: string;
  text?: string;
}

export const Comment: FC<CommentProps> = ({ html }) => {
  // ruleid: tsx-dangerous-inner-html
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
};

export function Article({ html }: CommentProps): ReactNode {
  // ruleid: tsx-dangerous-inner-html
  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Plain({ text }: CommentProps): ReactNode {
  // ok: tsx-dangerous-inner-html
  return <div className="comment">{text}</div>;
}

export function Span({ html }: CommentProps): JSX.Element {
  // ok: tsx-dangerous-inner-html
  return <span dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Links({ url }: { url: string }) {
  const [count, setCount] = useState<number>(0);
  // ruleid: tsx-javascript-url
  const run = <a href="javascript:void(0)" onClick={() => setCount(count + 1)}>run</a>;
  // ok: tsx-javascript-url
  const home = <a href="https://example.com">home</a>;
  // ok: tsx-javascript-url
  const dynamic = <a href={url}>dynamic</a>;
  return <nav>{[run, home, dynamic]}</nav>;
}

export function Formula<T extends { expression: string }>({ expression }: T) {
  return (
    <p>
      {
        // ruleid: tsx-eval-in-render
        eval(expression) as number
      }
      {
        // ok: tsx-eval-in-render
        String(expression)
      }
    </p>
  );
}
